import { shanghaiDayStart, toShanghaiIso } from '../../shared/scheduling.js';
import type { AccountService } from '../auth/AccountService.js';
import { SYSTEM } from '../auth/AccountService.js';
import type { HearingScheduler } from '../scheduling/HearingScheduler.js';

/** What the demo seeded: who can sign in, and the enrollment code of each kiosk. */
/** The demo sites' operator PIN (set on every demo site). */
export const DEMO_OPERATOR_PIN = '2468';

export interface DemoSeed {
  password: string;
  operatorPin: string;
  users: Array<{ username: string; role: string; court: string }>;
  kiosks: Array<{ site: string; kioskId: string; enrollmentCode: string }>;
  hearingIds: string[];
}

const HOUR_MS = 3_600_000;

/**
 * Seeds an empty database with the demo of product.md: courts of Hangzhou and Lishui, village and
 * community shared-court sites with a kiosk each, a judge and a clerk per court, and today's hearings —
 * among them the tenancy dispute heard by the 临安 judge with the plaintiff at a 庆元 village site and
 * the defendant at a 临安 community site. Does nothing (returns null) when any court exists.
 */
export async function seedDemo(
  accounts: AccountService,
  scheduler: HearingScheduler,
  options: { password: string; now?: number },
): Promise<DemoSeed | null> {
  if ((await accounts.listCourts()).length > 0) return null;
  const { password } = options;
  const linan = await accounts.registerCourt(SYSTEM, { name: '杭州市临安区人民法院', regionCode: '330112' });
  const qingyuan = await accounts.registerCourt(SYSTEM, { name: '庆元县人民法院', regionCode: '331126' });
  await accounts.registerCourt(SYSTEM, { name: '丽水市中级人民法院', regionCode: '331100' });

  const user = (courtId: string, role: 'admin' | 'clerk' | 'judge', username: string, displayName: string) =>
    accounts.createUser(SYSTEM, { courtId, role, username, displayName, password });
  const admin = await user(linan.id, 'admin', 'admin', '系统管理员');
  const judgeWang = await user(linan.id, 'judge', 'judge.wang', '王法官');
  const clerkLi = await user(linan.id, 'clerk', 'clerk.li', '李书记员');
  const judgeChen = await user(qingyuan.id, 'judge', 'judge.chen', '陈法官');
  const clerkZhou = await user(qingyuan.id, 'clerk', 'clerk.zhou', '周书记员');
  const adminPrincipal = { kind: 'user', userId: admin.id, courtId: linan.id, role: 'admin' } as const;

  const siteSpecs = [
    { name: '庆元县屏都街道小园村共享法庭', county: '庆元县', addressCode: '331126001201' },
    { name: '庆元县松源街道大济村共享法庭', county: '庆元县', addressCode: '331126002203' },
    { name: '临安区锦南街道锦南社区共享法庭', county: '临安区', addressCode: '330112004001' },
    { name: '临安区天目山镇月亮桥村共享法庭', county: '临安区', addressCode: '330112105210' },
  ];
  const sites = [];
  const kiosks: DemoSeed['kiosks'] = [];
  for (const spec of siteSpecs) {
    const site = await accounts.registerSite(adminPrincipal, spec);
    await accounts.setOperatorPin(adminPrincipal, site.id, { pin: DEMO_OPERATOR_PIN });
    sites.push(site);
    const issued = await accounts.registerKiosk(adminPrincipal, { siteId: site.id, name: '服务大厅终端' });
    kiosks.push({ site: site.name, kioskId: issued.kiosk.id, enrollmentCode: issued.enrollmentCode });
  }
  const [xiaoyuan, daji, jinnan, yueliangqiao] = sites;
  if (!xiaoyuan || !daji || !jinnan || !yueliangqiao) throw new Error('demo sites missing');

  const today = shanghaiDayStart(options.now ?? Date.now());
  const at = (hours: number) => toShanghaiIso(today + hours * HOUR_MS);
  const hearings = [
    await scheduler.book(
      { userId: clerkLi.id },
      {
        caseNumber: '（2026）浙0185民初1234号',
        title: '房屋租赁合同纠纷',
        caseType: 'civil',
        courtId: linan.id,
        judgeId: judgeWang.id,
        clerkId: clerkLi.id,
        startsAt: at(9.5),
        endsAt: at(10.5),
        isPublic: true,
        participants: [
          { role: 'plaintiff', name: '李建国', idTail: '1234', site: xiaoyuan.id },
          { role: 'defendant', name: '赵丽（临安某物业公司）', idTail: '5678', site: jinnan.id },
        ],
      },
    ),
    await scheduler.book(
      { userId: clerkLi.id },
      {
        caseNumber: '（2026）浙0185民初1301号',
        title: '民间借贷纠纷',
        caseType: 'civil',
        courtId: linan.id,
        judgeId: judgeWang.id,
        clerkId: clerkLi.id,
        startsAt: at(14),
        endsAt: at(15),
        isPublic: false,
        participants: [
          { role: 'plaintiff', name: '孙明', idTail: '2468', site: yueliangqiao.id },
          { role: 'defendant', name: '钱伟', idTail: '1357', site: null },
        ],
      },
    ),
    await scheduler.book(
      { userId: clerkZhou.id },
      {
        caseNumber: '（2026）浙1126民调88号',
        title: '相邻关系纠纷调解',
        caseType: 'mediation',
        courtId: qingyuan.id,
        judgeId: judgeChen.id,
        clerkId: clerkZhou.id,
        startsAt: at(10),
        endsAt: at(11),
        isPublic: false,
        participants: [
          { role: 'plaintiff', name: '吴大伯', idTail: '4321', site: daji.id },
          { role: 'defendant', name: '郑阿姨', idTail: '8765', site: daji.id },
        ],
      },
    ),
  ];
  return {
    password,
    operatorPin: DEMO_OPERATOR_PIN,
    users: [
      { username: 'admin', role: 'admin', court: linan.name },
      { username: 'judge.wang', role: 'judge', court: linan.name },
      { username: 'clerk.li', role: 'clerk', court: linan.name },
      { username: 'judge.chen', role: 'judge', court: qingyuan.name },
      { username: 'clerk.zhou', role: 'clerk', court: qingyuan.name },
    ],
    kiosks,
    hearingIds: hearings.map((h) => h.id),
  };
}
