import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

export const LANGUAGES = ['zh-CN', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

function initialLanguage(): Language {
  const requested = new URLSearchParams(window.location.search).get('lang') ?? localStorage.getItem('lang');
  return LANGUAGES.find((l) => l === requested) ?? 'zh-CN';
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18next.language;
}

export function setLanguage(language: Language): void {
  localStorage.setItem('lang', language);
  void i18next.changeLanguage(language);
  document.documentElement.lang = language;
}
