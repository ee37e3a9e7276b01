export default definePageConfig({
  navigationBarTitleText: '议事',
  // The list reloads on pull-down (usePullDownRefresh); without this the gesture never fires.
  enablePullDownRefresh: true,
})
