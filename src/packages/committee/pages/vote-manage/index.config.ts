export default definePageConfig({
  navigationBarTitleText: '管理表决',
  enablePullDownRefresh: true,
  // More voters load a little before the very bottom.
  onReachBottomDistance: 120,
})
