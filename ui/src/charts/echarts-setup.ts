/** The parts of ECharts Cairn draws with, registered once; imported only through EChart.tsx's dynamic import. */
import { BarChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { GridComponent, ParallelComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, ScatterChart, ParallelChart, GridComponent, TooltipComponent, ParallelComponent, CanvasRenderer]);

export { echarts };
