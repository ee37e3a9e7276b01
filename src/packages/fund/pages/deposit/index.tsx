import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { CHANNELS, type DepositChannel, type DepositImportResult, type DepositResult } from '../../../../contracts/fund'
import { formatFen, parseYuan } from '../../../../contracts/money'
import { Btn } from '../../../../components/btn'
import { Chips } from '../../../../components/chips'
import { TextField } from '../../../../components/field'
import { ErrorNote } from '../../../../components/page-state'
import { useAsync } from '../../../../hooks/use-async'
import { useSubmit } from '../../../../hooks/use-submit'
import { ApiError } from '../../../../services/errors'
import { MAX_FILE_BYTES, pickFromChat, pickInBrowser, type PickedFile } from '../../../../services/pick-file'
import { request } from '../../../../services/request'
import { requestWithFile } from '../../../../services/upload'
import { AccountCard, EntryLine } from '../../fund-ui'
import { FundPage, todayText, useFundSetup } from '../../fund-page'

function checkXlsx(name: string, size: number): void {
  if (!/\.xlsx$/i.test(name)) throw new ApiError('UnsupportedFile', '请选择 .xlsx 交存清单')
  if (size > MAX_FILE_BYTES) throw new ApiError('PayloadTooLarge', '文件超过 5 MB，请检查是否选错了文件')
}

function pickSheet(): Promise<PickedFile | null> {
  if (process.env.TARO_ENV === 'h5') return pickInBrowser('.xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'fund-file-input', checkXlsx)
  return pickFromChat(['xlsx'], '无法打开文件，请从微信聊天中选择交存清单', checkXlsx)
}

/**
 * Recording deposits: one at a time (a unit that still owes, the amount, day, way and receipt) or a
 * whole .xlsx list, all or nothing. In an old community the district's match appears beside each.
 */
export default function FundDepositPage() {
  const { communityId, name, setup, unitId: given } = useFundSetup()
  const arrears = useAsync(() => request('fundArrears', { communityId }), { auto: !!communityId })
  const [unitId, setUnitId] = useState(given ?? '')
  const [amount, setAmount] = useState('')
  const [paidOn, setPaidOn] = useState(todayText())
  const [channel, setChannel] = useState<DepositChannel>('bank')
  const [receiptNo, setReceiptNo] = useState('')
  const [done, setDone] = useState<DepositResult | null>(null)
  const [imported, setImported] = useState<DepositImportResult | null>(null)
  const submit = useSubmit([unitId, amount, paidOn, channel, receiptNo])
  const importing = useSubmit()
  const owing = (arrears.data ?? []).flatMap((b) => b.unpaidUnits)

  async function record() {
    const amountFen = parseYuan(amount)
    if (!unitId) return submit.fail('请选择房屋', 'unit')
    if (amountFen === null || amountFen === 0) return submit.fail('请填写交存金额（元），最多两位小数', 'amount')
    if (!receiptNo.trim()) return submit.fail('请填写收据号', 'receipt')
    const label = owing.find((u) => u.unitId === unitId)?.unitLabel ?? ''
    const r = await submit.run(() => request('recordFundDeposit', { communityId, unitId, amountFen, paidOn, channel, receiptNo: receiptNo.trim() }), {
      confirm: { title: '登记交存', content: `${label} 交存 ${formatFen(amountFen)}（收据号 ${receiptNo.trim()}）。登记后不能修改，录错只能冲正。确定吗？`, confirmText: '登记' },
      success: '已登记',
    })
    if (r) {
      setDone(r)
      setAmount('')
      setReceiptNo('')
      void arrears.reload()
    }
  }

  async function importFile() {
    setImported(null)
    let file: PickedFile | null = null
    try {
      file = await pickSheet()
    } catch (err) {
      return importing.fail(err instanceof ApiError ? err.message : '读取文件失败，请重新选择')
    }
    if (!file) return
    const picked = file
    const r = await importing.run(() => requestWithFile('importFundDeposits', { communityId, fileName: picked.name }, picked, 'fileBase64'), {
      confirm: { title: '导入交存清单', content: `导入「${picked.name}」：每一行都无误时才全部登记，有一行不对就都不登记。确定导入吗？`, confirmText: '导入' },
    })
    if (r) {
      setImported(r)
      void arrears.reload()
    }
  }

  return (
    <FundPage title='登记交存' className='fund-deposit' communityId={communityId} name={name} setup={setup} onRefresh={() => arrears.reload()}>
      {() => (
        <>
          <View className='card'>
            <Text className='card-title'>房屋（未交足的）</Text>
            {owing.length === 0 ? <Text className='line muted'>所有房屋都已交足，或尚未设定交存标准。</Text> : null}
            <Chips options={owing.map((u) => ({ value: u.unitId, label: `${u.unitLabel} 欠 ${formatFen(u.outstandingFen)}` }))} value={unitId} onChange={setUnitId} />
            {submit.errorOf('unit') ? <Text className='field-error'>{submit.errorOf('unit')}</Text> : null}
          </View>
          <TextField label='交存金额（元）' value={amount} onChange={setAmount} placeholder='例如：3300' type='digit' error={submit.errorOf('amount')} />
          <TextField label='交存日期' hint='写作 2026-01-31' value={paidOn} onChange={setPaidOn} />
          <Chips options={(Object.keys(CHANNELS) as DepositChannel[]).map((k) => ({ value: k, label: CHANNELS[k] }))} value={channel} onChange={setChannel} />
          <TextField label='收据号' value={receiptNo} onChange={setReceiptNo} placeholder='例如：WQ-0001' error={submit.errorOf('receipt')} />
          <ErrorNote message={submit.field ? null : submit.error} />
          <Btn className='gz-btn gz-btn--primary fund-deposit__save' loading={submit.busy} disabled={submit.busy} onClick={() => void record()}>
            登记交存
          </Btn>
          {done ? (
            <View className='card fund-ok fund-deposit__done'>
              <Text className='card-title'>已登记</Text>
              <EntryLine e={done.entry} />
              {done.match ? <EntryLine e={done.match} /> : null}
            </View>
          ) : null}
          {done ? <AccountCard a={done.account} /> : null}

          <View className='card'>
            <Text className='card-title'>批量导入（.xlsx）</Text>
            <Text className='line muted'>表头：楼栋、单元、房号、金额(元)、交存日期、交存方式、收据号。全部无误才登记；有错的行会按行号列出。</Text>
            <ErrorNote message={importing.error} />
            <Btn className='gz-btn' loading={importing.busy} disabled={importing.busy} onClick={() => void importFile()}>
              选择交存清单并导入
            </Btn>
            {imported ? (
              <View className={imported.recorded ? 'fund-ok' : 'fund-refused'}>
                <Text className='line'>{imported.recorded ? `已登记 ${imported.rows.length} 笔` : `有 ${imported.errors.length} 行有误，整份清单都没有登记`}</Text>
                {imported.errors.map((e) => (
                  <Text key={e.line} className='line'>第 {e.line} 行：{e.message}</Text>
                ))}
              </View>
            ) : null}
          </View>
        </>
      )}
    </FundPage>
  )
}
