/** Stylesheets have no effect in jsdom tests. */
export default {}
