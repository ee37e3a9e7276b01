export default definePageConfig({
  navigationBarTitleText: '报事',
  // My reports reload on pull-down (useCursorList); without this the gesture never fires.
  enablePullDownRefresh: true,
})
