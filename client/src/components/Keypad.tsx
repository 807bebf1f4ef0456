import { useTranslation } from 'react-i18next';

/** Keys that edit what was typed rather than add to it: always pressable. */
type EditKey = 'delete' | 'clear';

interface KeypadProps<K extends string> {
  keys: readonly K[];
  value: string;
  /** The value after one key press (unchanged when the key cannot apply). */
  press: (value: string, key: K) => string;
  onChange: (value: string) => void;
}

/**
 * The kiosk's touch keypad (the ID-number tail, the operator's PIN): a key that would change nothing
 * is disabled; delete and clear are labelled in words.
 */
export function Keypad<K extends string>({ keys, value, press, onChange }: KeypadProps<K>) {
  const { t } = useTranslation();
  const isEdit = (key: K): key is K & EditKey => key === 'delete' || key === 'clear';
  const label = (key: K) =>
    key === 'delete' ? t('kiosk.keypad.delete') : key === 'clear' ? t('kioskFlow.pin.clear') : key;
  return (
    <div className="keypad">
      {keys.map((key) => (
        <button
          key={key}
          type="button"
          className={isEdit(key) ? 'keypad-key keypad-delete' : 'keypad-key'}
          data-testid={`keypad-${key}`}
          disabled={!isEdit(key) && press(value, key) === value}
          onClick={() => onChange(press(value, key))}
        >
          {label(key)}
        </button>
      ))}
    </div>
  );
}
