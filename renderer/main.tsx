import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { askSessionEarly } from './features/session/session-store';
import { bootLanguage, startI18n } from './i18n';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  // Who is signed in travels while the catalogues load, not after them.
  askSessionEarly();
  const { lang, digits } = bootLanguage();
  // The first paint is already in the desk's language: the catalogue loads before React renders.
  void startI18n(lang, digits).finally(() =>
    createRoot(root).render(
      <StrictMode>
        <App />
      </StrictMode>,
    ),
  );
}
