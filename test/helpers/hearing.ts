import type { Hearing } from '../../shared/hearing.js';

/** A hearing as a live room holds it, for unit tests of rooms and peers (no database). */
export const ROOM_HEARING: Hearing = {
  id: 'demo',
  caseNumber: '（2026）浙0185民初1234号',
  title: '房屋租赁合同纠纷',
  court: '杭州市临安区人民法院',
  startsAt: '2026-12-03T09:30:00+08:00',
  endsAt: '2026-12-03T10:30:00+08:00',
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
};
