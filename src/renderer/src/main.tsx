import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { initI18n } from './i18n'
import { initTheme } from './theme/theme'
import './theme/tokens.css'
import './theme/base.css'
import './theme/components.css'
import './theme/pages.css'

// Renderer entry: theme and language first (no flash), then the app.
initTheme()
initI18n()

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
)
