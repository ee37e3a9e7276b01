export default definePageConfig({
  navigationBarTitleText: '管理表决',
  enablePullDownRefresh: true,
})
