import { Text, View } from '@tarojs/components'
import { Btn } from '../btn'
import { useSessionStore } from '../../stores/session'
import { go } from '../../utils/ui'
import './index.scss'

/**
 * Which 小区 the tab is showing. With several 小区 (an officer, an owner in two places) the
 * person switches with big buttons; with none, they are sent to bind a unit first.
 */
export function CommunityBar() {
  const me = useSessionStore((s) => s.me)
  const communityId = useSessionStore((s) => s.communityId)
  const setCommunity = useSessionStore((s) => s.setCommunity)
  if (!me) return null
  if (me.communities.length === 0) {
    return (
      <View className='community-bar community-bar--none'>
        <Text className='community-bar__text'>您还没有绑定房屋，绑定后就能看到本小区的信息。</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => go('/pages/bind/index')}>
          绑定房屋
        </Btn>
      </View>
    )
  }
  const current = me.communities.find((c) => c.id === communityId) ?? me.communities[0]
  return (
    <View className='community-bar'>
      <Text className='community-bar__label'>当前小区</Text>
      <Text className='community-bar__name'>{current.name}</Text>
      {me.communities.length > 1 ? (
        <View className='chips community-bar__switch'>
          {me.communities.map((c) => (
            <View key={c.id} className={`chip ${c.id === current.id ? 'chip--active' : ''}`} onClick={() => setCommunity(c.id)}>
              {c.name}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}
