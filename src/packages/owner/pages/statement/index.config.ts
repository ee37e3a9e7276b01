export default definePageConfig({
  navigationBarTitleText: '年度对账单',
  enablePullDownRefresh: true,
})
