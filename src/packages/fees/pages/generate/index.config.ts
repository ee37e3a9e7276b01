export default definePageConfig({
  navigationBarTitleText: '生成账单',
  enablePullDownRefresh: true,
})
