export default definePageConfig({
  navigationBarTitleText: '公告',
  enablePullDownRefresh: true,
  // Load the next page a little before the very bottom, so scrolling does not stall.
  onReachBottomDistance: 120,
})
