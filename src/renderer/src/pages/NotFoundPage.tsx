import { Link } from 'react-router'
import { useTranslation } from 'react-i18next'
import { Empty } from '../components/Empty'

export default function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <div className="page">
      <Empty icon="search" title={t('errors.notFound')} action={<Link className="btn" to="/">{t('errors.goHome')}</Link>}>
        {t('errors.pageNotFound')}
      </Empty>
    </div>
  )
}
