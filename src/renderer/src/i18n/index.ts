import i18n from 'i18next'
import { initReactI18next } from 'react-i18next'
import { en } from './en'
import { ja } from './ja'

// English and Japanese. The language follows the OS/browser unless Settings picks one.

export const LANGUAGES = ['en', 'ja'] as const
export type Language = (typeof LANGUAGES)[number]
const KEY = 'kanade.lang'

export function languageChoice(): Language | 'system' {
  try {
    const v = localStorage.getItem(KEY)
    return v === 'en' || v === 'ja' ? v : 'system'
  } catch {
    return 'system'
  }
}

function systemLanguage(): Language {
  const langs = typeof navigator !== 'undefined' ? (navigator.languages ?? [navigator.language]) : []
  for (const l of langs) {
    const base = l.toLowerCase().split('-')[0]
    if (base === 'ja') return 'ja'
    if (base === 'en') return 'en'
  }
  return 'en'
}

export function resolvedLanguage(choice = languageChoice()): Language {
  return choice === 'system' ? systemLanguage() : choice
}

export async function setLanguageChoice(choice: Language | 'system'): Promise<void> {
  try {
    if (choice === 'system') localStorage.removeItem(KEY)
    else localStorage.setItem(KEY, choice)
  } catch {
    // storage disabled
  }
  await i18n.changeLanguage(resolvedLanguage(choice))
}

export function initI18n(): typeof i18n {
  void i18n.use(initReactI18next).init({
    resources: { en: { translation: en }, ja: { translation: ja } },
    lng: resolvedLanguage(),
    fallbackLng: 'en',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
    showSupportNotice: false,
  })
  document.documentElement.lang = i18n.language
  i18n.on('languageChanged', (l) => (document.documentElement.lang = l))
  return i18n
}

export { i18n }
