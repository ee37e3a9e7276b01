export default definePageConfig({
  navigationBarTitleText: '维修资金归集',
  enablePullDownRefresh: true,
})
