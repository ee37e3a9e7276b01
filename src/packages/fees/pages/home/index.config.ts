export default definePageConfig({
  navigationBarTitleText: '收费工作台',
  enablePullDownRefresh: true,
})
