export default definePageConfig({
  navigationBarTitleText: '维修资金管理',
  enablePullDownRefresh: true,
})
