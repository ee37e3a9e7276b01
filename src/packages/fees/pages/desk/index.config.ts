export default definePageConfig({
  navigationBarTitleText: '登记收款',
  enablePullDownRefresh: true,
})
