import { Text, View } from '@tarojs/components'
import { DATA_ITEMS, POLICY_SECTIONS, PRIVACY_TITLE, PRIVACY_VERSION } from '../../contracts/privacy'
import { Page } from '../../components/page'
import { PrivacyAcceptance } from './acceptance'
import './index.scss'

/**
 * 隐私保护指引 (PIPL arts. 13–17): what is collected, why, for how long, who sees it by role, and
 * how to exercise one's rights; versioned, and a signed-in person's acceptance is recorded.
 * Open to everyone: the login page links here before anyone signs in.
 */
export default function PrivacyPage() {
  return (
    <Page title={PRIVACY_TITLE} subtitle={`版本 ${PRIVACY_VERSION}`} className='privacy'>
      {POLICY_SECTIONS.map((s, i) => (
        <View key={s.title} className='card'>
          <Text className='card-title'>{s.title}</Text>
          {s.paragraphs.map((p) => (
            <Text key={p} className='privacy__para'>
              {p}
            </Text>
          ))}
          {i === 1 ? <DataItems /> : null}
        </View>
      ))}
      <PrivacyAcceptance />
    </Page>
  )
}

function DataItems() {
  return (
    <View>
      {DATA_ITEMS.map((d) => (
        <View key={d.what} className='privacy__item'>
          <Text className='privacy__item-what'>{d.what}</Text>
          <Text className='line'>用途：{d.why}</Text>
          <Text className='line'>保存期限：{d.keep}</Text>
          <Text className='line muted'>谁能看到：{d.seenBy}</Text>
        </View>
      ))}
    </View>
  )
}
