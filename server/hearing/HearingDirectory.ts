import type { Hearing } from '../../shared/hearing.js';

/**
 * Where hearings come from. For the walking skeleton this is the seeded demo data; the scheduling
 * issue replaces it with the database.
 */
export class HearingDirectory {
  readonly #hearings = new Map<string, Hearing>();

  constructor(hearings: Hearing[]) {
    for (const hearing of hearings) this.#hearings.set(hearing.id, hearing);
  }

  get(hearingId: string): Hearing | undefined {
    return this.#hearings.get(hearingId);
  }

  list(): Hearing[] {
    return [...this.#hearings.values()];
  }
}

/** Today's date in Asia/Shanghai as YYYY-MM-DD. */
function shanghaiDate(now: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);
}

/**
 * The demo hearing of product.md: a judge of the 临安 court hears a tenancy dispute whose plaintiff
 * appears from a 庆元 village shared court and the defendant from a 临安 community shared court.
 */
export function demoHearings(now = new Date()): Hearing[] {
  const day = shanghaiDate(now);
  return [
    {
      id: 'demo',
      caseNumber: '（2026）浙0185民初1234号',
      title: '房屋租赁合同纠纷',
      court: '杭州市临安区人民法院',
      startsAt: `${day}T09:30:00+08:00`,
      endsAt: `${day}T10:30:00+08:00`,
      participants: [
        { id: 'judge-wang', name: '王法官', role: 'judge', client: 'judge', site: null },
        {
          id: 'plaintiff-li',
          name: '李建国',
          role: 'plaintiff',
          client: 'kiosk',
          site: { id: 'qingyuan-xiaoyuan', name: '庆元县屏都街道小园村共享法庭', county: '庆元县' },
        },
        {
          id: 'defendant-zhao',
          name: '赵丽（临安某物业公司）',
          role: 'defendant',
          client: 'kiosk',
          site: { id: 'linan-jinnan', name: '临安区锦南街道锦南社区共享法庭', county: '临安区' },
        },
      ],
    },
  ];
}
