import { useMatches } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Icon } from '../components/Icon'
import { setThemeChoice, useTheme } from '../theme/theme'
import { ConnectionPill } from './ConnectionPill'
import type { NavKey } from './nav'

export interface RouteHandle {
  /** The page's name under `nav.` */
  nav?: NavKey
}

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform)

export function TopBar({ onSearch, onMenu }: { onSearch: () => void; onMenu: () => void }) {
  const { t } = useTranslation()
  const matches = useMatches()
  const { resolved } = useTheme()
  const handle = [...matches].reverse().find((m) => (m.handle as RouteHandle | undefined)?.nav)?.handle as RouteHandle | undefined
  const title = handle?.nav ? t(`nav.${handle.nav}`) : ''
  return (
    <header className="topbar">
      <button className="btn ghost icon-only menu-toggle" onClick={onMenu} aria-label={t('shell.openMenu')}>
        <Icon name="more" />
      </button>
      <div className="topbar-title">{title}</div>
      <div className="topbar-spacer" />
      <button className="search-trigger" onClick={onSearch} aria-keyshortcuts="Control+K Meta+K">
        <Icon name="search" />
        <span>{t('shell.search')}</span>
        <kbd>{isMac ? t('shell.shortcutMac') : t('shell.shortcut')}</kbd>
      </button>
      <ConnectionPill />
      <button
        className="btn ghost icon-only"
        onClick={() => setThemeChoice(resolved === 'dark' ? 'light' : 'dark')}
        aria-label={t('shell.theme.toggle')}
        title={t('shell.theme.toggle')}
      >
        <Icon name={resolved === 'dark' ? 'sun' : 'moon'} />
      </button>
    </header>
  )
}
