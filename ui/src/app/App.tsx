export const App = () => <main><h1>Cairn</h1></main>;
