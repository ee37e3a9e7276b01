import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { Btn } from '../../components/btn'
import Taro from '@tarojs/taro'
import type { Persona } from '../../contracts/identity'
import { Empty, ErrorNote, ErrorView, Loading } from '../../components/page-state'
import { useAsync } from '../../hooks/use-async'
import { messageOf, request, signInWithWeChat } from '../../services/request'
import { getToken } from '../../services/token'
import { useSessionStore } from '../../stores/session'
import { HOME, PAGE_PATHS, go } from '../../routes'
import './index.scss'

/**
 * Sign in. In the mini-program: one tap on 微信登录. In the browser (the demo): pick one of the
 * demo personas the server offers; a server not in demo mode offers none, and the page says so.
 */
export default function LoginPage() {
  const isWeapp = process.env.TARO_ENV === 'weapp'
  const personas = useAsync(() => request('demoPersonas'))
  const [busy, setBusy] = useState<string | null>(null)
  const [error, setError] = useState<string | null>(null)

  async function enter(token: string) {
    const store = useSessionStore.getState()
    store.signedIn(token)
    // A failure to load `me` is shown by the tab itself, with a retry.
    await store.refresh()
    await Taro.switchTab({ url: PAGE_PATHS[HOME] })
  }

  async function loginWithWeChat() {
    setBusy('wechat')
    setError(null)
    try {
      await signInWithWeChat()
      await enter(getToken() as string)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  async function loginAs(persona: Persona) {
    if (busy) return
    setBusy(persona.key)
    setError(null)
    try {
      const session = await request('demoLogin', { persona: persona.key })
      await enter(session.token)
    } catch (err) {
      setError(messageOf(err))
    } finally {
      setBusy(null)
    }
  }

  const list = personas.data ?? []

  return (
    <View className='page login'>
      <View className='login__hero'>
        <Text className='login__app'>共治</Text>
        <Text className='login__tagline'>小区的事，大家商量着办</Text>
      </View>

      {isWeapp ? (
        <View className='card'>
          <Text className='line'>用微信登录后，可以查看公告、缴费、参加表决和报事。</Text>
          <Btn className='gz-btn gz-btn--primary' loading={busy === 'wechat'} disabled={!!busy} onClick={loginWithWeChat}>
            微信登录
          </Btn>
        </View>
      ) : null}

      <ErrorNote message={error} />

      {isWeapp && list.length === 0 ? null : (
        <View className='login__demo'>
          <Text className='card-title'>选择演示身份</Text>
          <Text className='page-subtitle'>这是演示版本。点一个身份，就以这个人的身份进入。</Text>
          {personas.status === 'loading' ? (
            <Loading text='正在读取演示身份…' />
          ) : personas.status === 'error' ? (
            <ErrorView message={personas.error ?? ''} onRetry={() => void personas.reload()} />
          ) : list.length === 0 ? (
            <Empty title='演示登录未开启' hint='服务器没有以演示模式运行（DEMO=1），所以没有可选的演示身份。请在微信小程序中用微信登录。' />
          ) : (
            list.map((p) => (
              <View key={p.key} className={`persona ${busy === p.key ? 'persona--busy' : ''}`} hoverClass='persona--hover' onClick={() => void loginAs(p)}>
                <Text className='persona__label'>{p.label}</Text>
                <Text className='persona__desc'>{p.description}</Text>
                {busy === p.key ? <Text className='persona__busy'>正在登录…</Text> : null}
              </View>
            ))
          )}
        </View>
      )}

      <Text className='login__privacy' onClick={() => go('privacy')}>
        登录前请阅读《共治隐私保护指引》：我们收集什么、为什么、谁能看到
      </Text>
    </View>
  )
}
