import { createRoot } from 'react-dom/client';

function App() {
  return <h1>三散污染源地图</h1>;
}

createRoot(document.getElementById('root')!).render(<App />);
