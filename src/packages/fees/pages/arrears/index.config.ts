export default definePageConfig({
  navigationBarTitleText: '欠费公示',
  enablePullDownRefresh: true,
})
