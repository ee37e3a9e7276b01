import type { Persona } from '../../src/contracts/identity'

/**
 * The people a visitor can log in as in demo mode. The seed creates a user for each with the
 * openid `demo:<key>`; demo login is refused unless the server runs with DEMO=1.
 */
export const DEMO_PERSONAS: Persona[] = [
  { key: 'owner-new', label: '韩晨梅（业主）', description: '滨江花园 1栋1单元101 业主，尚未绑定房屋，可以体验绑定' },
  { key: 'owner-multi', label: '郭杰华（多套房业主）', description: '文清苑业主，持有 3 套房，已绑定' },
  { key: 'owner-coowned', label: '田志（共有人）', description: '文清苑 3栋2单元302 与陈洋平共有，已绑定' },
  { key: 'owner-bound', label: '邓雨英（业主）', description: '滨江花园 1栋1单元102 业主，已绑定' },
  { key: 'tenant', label: '小周（租户）', description: '租住滨江花园 1栋1单元102，只能看公告、报事' },
  { key: 'committee', label: '王主任（业委会主任）', description: '滨江花园业主委员会主任，可发布公告、导入名册、发起表决' },
  { key: 'committee-old', label: '李委员（文清苑物管会）', description: '文清苑物业管理委员会委员' },
  { key: 'staff', label: '赵经理（物业）', description: '滨江花园物业服务中心工作人员' },
  { key: 'officer', label: '刘书记（社区）', description: '东阳社区居委会工作人员，管辖两个小区' },
]

export const demoOpenid = (key: string) => `demo:${key}`
