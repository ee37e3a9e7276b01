/** Filled in with the recorded acceptance (step 2); the policy page shows nothing here before sign-in. */
export function PrivacyAcceptance() {
  return null
}
