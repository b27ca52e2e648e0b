export { CompareRunsPage, CompareRunsPage as ComparePage, type CompareRunsPageProps } from './CompareRunsPage';
export { compareRows, parseIdList } from './model';
