import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { askSessionEarly, bootSession } from './features/session/session-store';
import { bootLanguage, startI18n } from './i18n';
import './styles.css';

const root = document.getElementById('root');
if (root) {
  // Who is signed in travels while the catalogues load, not after them.
  askSessionEarly();
  const { lang, digits } = bootLanguage();
  // The first paint is already in the desk's language: the catalogue loads before React renders,
  // and, unless the core is slow to answer, already shows where the person lands.
  void startI18n(lang, digits)
    .then(() => Promise.race([bootSession(), new Promise((r) => setTimeout(r, 250))]))
    .finally(() =>
      createRoot(root).render(
        <StrictMode>
          <App />
        </StrictMode>,
      ),
    );
}
