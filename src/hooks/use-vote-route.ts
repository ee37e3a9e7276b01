import { useRouter } from '@tarojs/taro'

/**
 * The vote a page works on, from its route (`?communityId=&voteId=`, empty when missing), and
 * `ref`, the input the vote actions take.
 */
export function useVoteRoute() {
  const { params } = useRouter()
  const communityId = params?.communityId ?? ''
  const voteId = params?.voteId ?? ''
  return { communityId, voteId, ref: { communityId, voteId } }
}
