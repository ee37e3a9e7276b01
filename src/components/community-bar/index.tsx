import { Text, View } from '@tarojs/components'
import { Btn } from '../btn'
import { Chips } from '../chips'
import { useCurrentCommunity } from '../../hooks/use-current-community'
import { useSessionStore } from '../../stores/session'
import { go } from '../../routes'
import './index.scss'

/**
 * Which 小区 the tab is showing. With several 小区 (an officer, an owner in two places) the
 * person switches with big buttons; with none, they are sent to bind a unit first.
 */
export function CommunityBar() {
  const { me, community } = useCurrentCommunity()
  const setCommunity = useSessionStore((s) => s.setCommunity)
  if (!me) return null
  if (!community) {
    return (
      <View className='community-bar community-bar--none'>
        <Text className='community-bar__text'>您还没有绑定房屋，绑定后就能看到本小区的信息。</Text>
        <Btn className='gz-btn gz-btn--primary' onClick={() => go('bind')}>
          绑定房屋
        </Btn>
      </View>
    )
  }
  return (
    <View className='community-bar'>
      <Text className='community-bar__label'>当前小区</Text>
      <Text className='community-bar__name'>{community.name}</Text>
      {me.communities.length > 1 ? (
        <Chips className='community-bar__switch' options={me.communities.map((c) => ({ value: c.id, label: c.name }))} value={community.id} onChange={setCommunity} />
      ) : null}
    </View>
  )
}
