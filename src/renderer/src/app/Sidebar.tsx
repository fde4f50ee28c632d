import { NavLink } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Icon } from '../components/Icon'
import { NAV, SECTIONS } from './nav'

export function Sidebar({ open }: { open: boolean }) {
  const { t } = useTranslation()
  return (
    <nav className={open ? 'sidebar open' : 'sidebar'} aria-label={t('app.name')}>
      <div className="brand">
        <span className="brand-mark" aria-hidden>
          k
        </span>
        {t('app.name')}
      </div>
      {SECTIONS.map((s) => (
        <div key={s} role="group" aria-labelledby={`nav-${s}`}>
          <div className="nav-section" id={`nav-${s}`}>
            {t(`nav.sections.${s}`)}
          </div>
          {NAV.filter((n) => n.section === s).map((n) => (
            <NavLink key={n.path} to={n.path} end={n.path === '/'} className={({ isActive }) => (isActive ? 'nav-link active' : 'nav-link')}>
              <Icon name={n.icon} />
              {t(`nav.${n.key}`)}
            </NavLink>
          ))}
        </div>
      ))}
      <div className="sidebar-foot">kanade 0.30</div>
    </nav>
  )
}
