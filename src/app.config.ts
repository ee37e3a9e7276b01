export default defineAppConfig({
  // The first page is where the mini-program opens: the 公告 tab.
  pages: [
    'pages/notices/index',
    'pages/fees/index',
    'pages/votes/index',
    'pages/reports/index',
    'pages/mine/index',
    'pages/login/index',
    'pages/bind/index',
    'pages/notice-detail/index',
    'pages/vote-detail/index',
    'pages/privacy/index',
  ],
  // Committee, officer and owner tools load only when opened, so residents download less.
  subPackages: [
    {
      root: 'packages/committee',
      pages: ['pages/roster-import/index', 'pages/binding-requests/index', 'pages/notice-compose/index', 'pages/vote-create/index', 'pages/vote-manage/index'],
    },
    {
      root: 'packages/officer',
      pages: ['pages/overview/index', 'pages/feedback/index', 'pages/report-dashboard/index'],
    },
    {
      root: 'packages/owner',
      pages: ['pages/tenants/index', 'pages/bill/index', 'pages/statement/index'],
    },
    {
      root: 'packages/fees',
      pages: ['pages/home/index', 'pages/schedule/index', 'pages/generate/index', 'pages/desk/index', 'pages/unit/index', 'pages/bank/index', 'pages/arrears/index', 'pages/overview/index'],
    },
    {
      root: 'packages/account',
      pages: ['pages/my-data/index', 'pages/devices/index'],
    },
    {
      root: 'packages/reports',
      pages: ['pages/new/index', 'pages/detail/index', 'pages/contact/index', 'pages/inbox/index', 'pages/settings/index', 'pages/holidays/index'],
    },
    {
      root: 'packages/fund',
      pages: ['pages/mine/index', 'pages/manage/index', 'pages/deposit/index', 'pages/expense/index', 'pages/officer/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'dark',
    backgroundColor: '#f2f4f7',
    navigationBarBackgroundColor: '#0b57d0',
    navigationBarTitleText: '共治',
    navigationBarTextStyle: 'white',
  },
  tabBar: {
    color: '#444b55',
    selectedColor: '#0b57d0',
    backgroundColor: '#ffffff',
    borderStyle: 'black',
    list: [
      { pagePath: 'pages/notices/index', text: '公告' },
      { pagePath: 'pages/fees/index', text: '缴费' },
      { pagePath: 'pages/votes/index', text: '议事' },
      { pagePath: 'pages/reports/index', text: '报事' },
      { pagePath: 'pages/mine/index', text: '我的' },
    ],
  },
})
