export default definePageConfig({
  navigationBarTitleText: '房屋账单',
  enablePullDownRefresh: true,
})
