import Taro from '@tarojs/taro'

/**
 * Every page of the mini-program, once: app.config.ts builds its page lists from here, and every
 * navigation goes through the functions below with the page's name and typed parameters, so a
 * renamed page or a missing parameter is a compile error instead of a blank screen.
 */

/** Pages in the main package: the five tabs first (the first one is where the app opens). */
export const MAIN_PAGES = {
  notices: 'pages/notices/index',
  fees: 'pages/fees/index',
  votes: 'pages/votes/index',
  reports: 'pages/reports/index',
  mine: 'pages/mine/index',
  login: 'pages/login/index',
  bind: 'pages/bind/index',
  noticeDetail: 'pages/notice-detail/index',
  voteDetail: 'pages/vote-detail/index',
  privacy: 'pages/privacy/index',
} as const

/** Subpackages: committee, officer and owner tools load only when opened, so residents download less. */
export const SUB_PACKAGES = {
  committee: {
    rosterImport: 'pages/roster-import/index',
    bindingRequests: 'pages/binding-requests/index',
    noticeCompose: 'pages/notice-compose/index',
    voteCreate: 'pages/vote-create/index',
    voteManage: 'pages/vote-manage/index',
  },
  officer: {
    officerOverview: 'pages/overview/index',
    reportFeedback: 'pages/feedback/index',
    reportDashboard: 'pages/report-dashboard/index',
  },
  owner: {
    tenants: 'pages/tenants/index',
    bill: 'pages/bill/index',
    yearStatement: 'pages/statement/index',
  },
  fees: {
    feeHome: 'pages/home/index',
    feeSchedule: 'pages/schedule/index',
    feeGenerate: 'pages/generate/index',
    feeDesk: 'pages/desk/index',
    feeUnit: 'pages/unit/index',
    feeBank: 'pages/bank/index',
    feeArrears: 'pages/arrears/index',
    feeOverview: 'pages/overview/index',
  },
  account: {
    myData: 'pages/my-data/index',
    devices: 'pages/devices/index',
  },
  reports: {
    reportNew: 'pages/new/index',
    reportDetail: 'pages/detail/index',
    reportContact: 'pages/contact/index',
    reportInbox: 'pages/inbox/index',
    reportSettings: 'pages/settings/index',
    reportHolidays: 'pages/holidays/index',
  },
  fund: {
    fundMine: 'pages/mine/index',
    fundManage: 'pages/manage/index',
    fundDeposit: 'pages/deposit/index',
    fundExpense: 'pages/expense/index',
    fundOfficer: 'pages/officer/index',
  },
} as const

type SubPages = { [P in keyof typeof SUB_PACKAGES]: keyof (typeof SUB_PACKAGES)[P] }[keyof typeof SUB_PACKAGES]
export type PageName = keyof typeof MAIN_PAGES | SubPages

/** The tabs, in the tab bar's order, with their labels. */
export const TABS = [
  { name: 'notices', text: '公告' },
  { name: 'fees', text: '缴费' },
  { name: 'votes', text: '议事' },
  { name: 'reports', text: '报事' },
  { name: 'mine', text: '我的' },
] as const satisfies readonly { name: keyof typeof MAIN_PAGES; text: string }[]
export type TabName = (typeof TABS)[number]['name']

/** Where 回首页 leads: the first tab. */
export const HOME: TabName = 'notices'

function buildPaths(): Record<PageName, string> {
  const paths: Record<string, string> = {}
  for (const [name, path] of Object.entries(MAIN_PAGES)) paths[name] = `/${path}`
  for (const [root, pages] of Object.entries(SUB_PACKAGES)) {
    for (const [name, path] of Object.entries(pages)) paths[name] = `/packages/${root}/${path}`
  }
  return paths as Record<PageName, string>
}

/** The absolute path of every page ("/packages/committee/pages/vote-create/index"). */
export const PAGE_PATHS: Record<PageName, string> = buildPaths()

/** What each page reads from its route; `?` marks a parameter it can do without. */
export interface RouteParams {
  notices: undefined
  fees: undefined
  votes: undefined
  reports: undefined
  mine: undefined
  login: undefined
  bind: { mode?: 'tenant' } | undefined
  noticeDetail: { id: string; communityId: string }
  voteDetail: { communityId: string; voteId: string }
  rosterImport: { communityId: string }
  bindingRequests: { communityId: string }
  noticeCompose: { communityId: string; noticeId?: string; correctsId?: string }
  voteCreate: { communityId: string; voteId?: string; mode?: 'edit' | 'correct' }
  voteManage: { communityId: string; voteId: string }
  officerOverview: undefined
  reportFeedback: undefined
  reportDashboard: { communityId?: string } | undefined
  reportNew: { communityId: string }
  reportDetail: { communityId: string; reportId: string }
  reportContact: { communityId: string }
  reportInbox: { communityId: string }
  reportSettings: { communityId: string }
  reportHolidays: { districtId?: string } | undefined
  tenants: { unitId?: string } | undefined
  bill: { communityId: string; billId: string }
  yearStatement: { communityId: string; unitId: string; year?: string }
  feeHome: { communityId: string }
  feeSchedule: { communityId: string }
  feeGenerate: { communityId: string }
  feeDesk: { communityId: string }
  feeUnit: { communityId: string; unitId: string }
  feeBank: { communityId: string }
  feeArrears: { communityId: string }
  feeOverview: { communityId: string }
  privacy: undefined
  myData: undefined
  devices: undefined
  fundMine: { communityId: string }
  fundManage: { communityId: string }
  fundDeposit: { communityId: string; unitId?: string }
  fundExpense: { communityId: string }
  fundOfficer: undefined
}

/** Pages whose parameters may be left out. */
type OptionalArgs = { [K in PageName]: undefined extends RouteParams[K] ? K : never }[PageName]
type Args<K extends PageName> = K extends OptionalArgs ? [params?: RouteParams[K]] : [params: RouteParams[K]]

/** The url of a page with its parameters, in the order given ("/pages/notice-detail/index?id=…&communityId=…"). */
export function pageUrl<K extends PageName>(name: K, ...[params]: Args<K>): string {
  const query = Object.entries((params ?? {}) as Record<string, string | undefined>)
    .filter((e): e is [string, string] => e[1] !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&')
  return query ? `${PAGE_PATHS[name]}?${query}` : PAGE_PATHS[name]
}

export function isTab(name: PageName): name is TabName {
  return TABS.some((t) => t.name === name)
}

/** Opens a page on top of this one (a tab is switched to instead: tabs cannot be pushed). */
export function go<K extends PageName>(name: K, ...args: Args<K>): void {
  if (isTab(name)) return switchTo(name)
  void Promise.resolve(Taro.navigateTo({ url: pageUrl(name, ...args) })).catch(() => undefined)
}

/** Replaces this page with another (after publishing, the new notice replaces the form). */
export function redirect<K extends PageName>(name: K, ...args: Args<K>): Promise<unknown> {
  if (isTab(name)) return Promise.resolve(Taro.switchTab({ url: PAGE_PATHS[name] }))
  return Promise.resolve(Taro.redirectTo({ url: pageUrl(name, ...args) }))
}

/** Shows a tab. */
export function switchTo(tab: TabName): void {
  void Promise.resolve(Taro.switchTab({ url: PAGE_PATHS[tab] })).catch(() => undefined)
}

/** Starts over at a page (sign-in, after signing out): nothing to go back to. */
export function relaunch(name: PageName): Promise<unknown> {
  return Promise.resolve(Taro.reLaunch({ url: PAGE_PATHS[name] }))
}

/** Whether there is a page under this one to go back to. */
export function canGoBack(): boolean {
  try {
    return Taro.getCurrentPages().length > 1
  } catch {
    return false
  }
}

/** Back to the page below, or home when this page was opened first (a shared link, a reload). */
export function backOrHome(): void {
  if (canGoBack()) void Promise.resolve(Taro.navigateBack()).catch(() => switchTo(HOME))
  else switchTo(HOME)
}
