import type { Persona } from '../../src/contracts/identity'

/** The roster's own row of 1栋1单元101: what the owner-new persona verifies (binds at once) or types (the committee confirms). */
export const DEMO_BINDING = {
  community: '滨江花园',
  building: '1栋',
  stair: '1单元',
  room: '101',
  name: '韩晨梅',
  phone: '15853130865',
  idLast4: '1461',
} as const

/** A demo persona, with what a visitor can try as them (printed at start, shown at login). */
export interface DemoPersona extends Persona {
  tries: string[]
}

const b = DEMO_BINDING

/**
 * The people a visitor can log in as in demo mode. The seed creates a user for each with the
 * openid `demo:<key>`; demo login is refused unless the server runs with DEMO=1. The seed makes
 * every promise here true (test/server/demo-seed.test.ts checks them).
 */
export const DEMO_PERSONAS: DemoPersona[] = [
  {
    key: 'owner-new',
    label: '韩晨梅（业主）',
    description: '滨江花园 1栋1单元101 业主，尚未绑定房屋，可以体验绑定',
    tries: [
      `立即绑定：在“我的”→“绑定房屋”选 ${b.community} ${b.building} ${b.stair} ${b.room}，姓名填 ${b.name}，点“演示：模拟微信验证手机号”：微信验证的手机号 ${b.phone} 与名册一致，立即绑定`,
      `手动填写也可以：手机号填 ${b.phone}（或身份证后四位 ${b.idLast4}）后提交，不会立即绑定，申请标着“与名册一致”交业委会确认；换王主任登录，在“我的”→“绑定审核”里点一下“与名册一致，通过”即绑定`,
      '绑定后“议事”里能看到已公告的表决',
    ],
  },
  {
    key: 'owner-multi',
    label: '郭杰华（多套房业主）',
    description: '文清苑业主，持有 3 套房，已绑定',
    tries: ['“我的”里看到 3 套房（2栋2单元501、601，3栋1单元402）', '“公告”里看物管会的财务公开和老旧小区改造公示'],
  },
  {
    key: 'owner-coowned',
    label: '田志（共有人）',
    description: '文清苑 3栋2单元302 与陈洋平共有，已绑定',
    tries: ['“我的”里看到与陈洋平共有的 3栋2单元302：共有人合投一票'],
  },
  {
    key: 'owner-coowner',
    label: '陈洋平（共有人）',
    description: '文清苑 3栋2单元302 与田志共有，已绑定',
    tries: ['“议事”里打开充电桩表决：田志投票后，这里看到这套共有房屋已由共有人投票及投票时间（共有人合投一票）'],
  },
  {
    key: 'owner-bound',
    label: '邓雨英（业主）',
    description: '滨江花园 1栋1单元102 业主，已绑定',
    tries: ['“议事”里看已公告的 2027 年续聘物业及电梯维修表决（公告期满后开始投票）', '“我的”里邀请租户、查看和收回租户', '“缴费”里看 1栋1单元102 待缴的两个季度、合计金额和物业的书面催缴通知（写明缴费期限）；点开账单看每项怎么算的', '“缴费”里把这套房屋的账单共享给租户小周，或停止共享'],
  },
  {
    key: 'tenant',
    label: '小周（租户）',
    description: '租住滨江花园 1栋1单元102，只能看公告、报事',
    tries: ['“公告”里看停水通知和社区义诊；租户不参加表决', '“缴费”：业主邓雨英共享账单后，只看到 1栋1单元102 的账单；停止共享后立即看不到'],
  },
  {
    key: 'committee',
    label: '王主任（业委会主任）',
    description: '滨江花园业主委员会主任，可发布公告、导入名册、发起表决',
    tries: ['“绑定审核”：胡先生（1栋1单元202）的手机号与名册不符；手动填写、标着“与名册一致”的申请一点即可通过', '发布公告；管理已公告的表决；发起新的表决', '“议事”里的地下车库照明改造表决正在计票：录入投票结束前签署的纸质票或委托书（附照片），再“结束计票并公布结果”', '“我的”→“收费工作台”→“欠费公示和减免”：书面催缴期限已过的房屋发布欠费公示（只显示打码的房号）；在打码的欠费房屋里选一期账单，写明原因减免'],
  },
  {
    key: 'committee-old',
    label: '李委员（文清苑物管会）',
    description: '文清苑物业管理委员会委员',
    tries: ['导入 test/fixtures/rosters/wenqing-roster-with-errors.csv：逐行指出名册里的 5 处错误', '发布财务公开（发布后不能修改或撤回，只能更正）'],
  },
  {
    key: 'staff',
    label: '赵经理（物业）',
    description: '滨江花园物业服务中心工作人员',
    tries: ['发布停水停电通知，看有多少户已读', '“我的”→“收费工作台”→“生成账单”：生成下一季度的账单（同一账期再生成不会重复）', '“登记收款和催缴”里找到 1栋1单元102 登记一笔收款：邓雨英的“缴费”里随即显示已缴和收据号'],
  },
  {
    key: 'officer',
    label: '刘书记（社区）',
    description: '东阳社区居委会工作人员，管辖两个小区',
    tries: ['“我的”进入社区工作台：滨江花园和文清苑', '在两个小区发布公告、审核绑定、导入名册'],
  },
]

export const demoOpenid = (key: string) => `demo:${key}`
