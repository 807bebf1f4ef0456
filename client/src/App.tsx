import { useTranslation } from 'react-i18next';
import { LANGUAGES, setLanguage } from './i18n/index.js';
import { HearingRoom } from './pages/HearingRoom.js';
import { Lobby } from './pages/Lobby.js';
import { parseRoute, usePathname } from './services/router.js';

export function App() {
  const { t, i18n } = useTranslation();
  const route = parseRoute(usePathname());
  return (
    <div className="app">
      <header className="app-header">
        <h1>{t('app.title')}</h1>
        <label className="language">
          {t('app.language')}
          <select
            value={i18n.language}
            onChange={(e) => {
              const language = LANGUAGES.find((l) => l === e.target.value);
              if (language) setLanguage(language);
            }}
          >
            <option value="zh-CN">中文</option>
            <option value="en">English</option>
          </select>
        </label>
      </header>
      {route.page === 'hearing' ? (
        <HearingRoom
          key={`${route.hearingId}/${route.participantId}`}
          hearingId={route.hearingId}
          participantId={route.participantId}
        />
      ) : (
        <Lobby />
      )}
    </div>
  );
}
