export default definePageConfig({
  navigationBarTitleText: '收费标准',
  enablePullDownRefresh: true,
})
