import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { initI18n } from './i18n/index.js';
import { appConnection } from './services/Connection.js';
import './styles.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Connect and prepare the media device while the page renders: joining then costs only the join.
void appConnection()
  .device()
  .catch(() => undefined);
await initI18n();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
