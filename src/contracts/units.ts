/** "1栋" + "1单元" + "101" → "1栋1单元101室": the one way a unit is written everywhere. */
export function unitLabel(building: string, stair: string, room: string): string {
  return `${building}${stair}${room}室`
}

/** Area in 0.01 m² as people write it: 8956 → "89.56". Integers only, never floats. */
export function formatArea(centiM2: number): string {
  const sign = centiM2 < 0 ? '-' : ''
  const abs = Math.abs(centiM2)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
