export default definePageConfig({
  navigationBarTitleText: '收缴情况',
  enablePullDownRefresh: true,
})
