export default definePageConfig({
  navigationBarTitleText: '登记交存',
  enablePullDownRefresh: true,
})
