import { useEffect, useState } from 'react'
import { Outlet, useLocation } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Toasts } from '../components/Toasts'
import { CommandPalette } from './CommandPalette'
import { ConnectionBanner } from './ConnectionBanner'
import { LoginPrompt } from './LoginPrompt'
import { Sidebar } from './Sidebar'
import { TopBar } from './TopBar'
import { useHotkeys } from './useHotkeys'

// The frame around every page: sidebar, top bar, connection banner, command palette, toasts.

export function Shell() {
  const { t } = useTranslation()
  const [palette, setPalette] = useState(false)
  const [menu, setMenu] = useState(false)
  const loc = useLocation()
  useHotkeys(() => setPalette(true))
  useEffect(() => setMenu(false), [loc.pathname])
  return (
    <div className="shell">
      <a className="skip-link" href="#main" onClick={(e) => {
        e.preventDefault()
        document.getElementById('main')?.focus()
      }}>
        {t('app.skip')}
      </a>
      <Sidebar open={menu} />
      <TopBar onSearch={() => setPalette(true)} onMenu={() => setMenu((m) => !m)} />
      <div className="banner-area">
        <ConnectionBanner />
      </div>
      <main className="main" id="main" tabIndex={-1}>
        <Outlet />
      </main>
      {palette ? <CommandPalette onClose={() => setPalette(false)} /> : null}
      <LoginPrompt />
      <Toasts />
    </div>
  )
}
