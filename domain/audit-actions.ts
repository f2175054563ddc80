// What the audit trail records, by action code (server/auth/audit.ts appendAudit) and target kind
// (`site:12`, `user:admin`), in words for the page. The filter matches an action or its group prefix.
export const AUDIT_ACTIONS = {
  sign_in: { zh: '登录', en: 'Signed in' },
  'sign_in.failed': { zh: '登录失败', en: 'Failed sign-in' },
  'sign_in.unlock': { zh: '解除登录锁定', en: 'Sign-in lock lifted' },
  sign_out: { zh: '退出登录', en: 'Signed out' },
  'site.create': { zh: '新增点位', en: 'Site created' },
  'site.edit': { zh: '修改点位', en: 'Site edited' },
  'site.move': { zh: '定位/移动点位', en: 'Site placed or moved' },
  'site.status': { zh: '变更点位状态', en: 'Site status changed' },
  'road.create': { zh: '新增路段', en: 'Road segment created' },
  'road.geometry': { zh: '绘制路段', en: 'Road segment drawn' },
  'road.status': { zh: '变更路段状态', en: 'Road status changed' },
  'inspection.create': { zh: '记录检查', en: 'Inspection recorded' },
  'photo.upload': { zh: '上传照片', en: 'Photo uploaded' },
  'relapse.decision': { zh: '判定疑似迁移', en: 'Likely move decided' },
  'task.note': { zh: '添加任务进展', en: 'Task note added' },
  'task.sites': { zh: '关联任务点位', en: 'Task sites linked' },
  'core.create': { zh: '保存核心区', en: 'Urban core saved' },
  'route.create': { zh: '保存巡查路线', en: 'Route saved' },
  'import.preview': { zh: '导入预览', en: 'Import previewed' },
  'import.commit': { zh: '导入写入', en: 'Import written' },
  'import.undo': { zh: '撤销导入', en: 'Import undone' },
  'import.discard': { zh: '放弃导入预览', en: 'Import preview discarded' },
  'import.mapping': { zh: '保存列对应', en: 'Column mapping saved' },
  'user.create': { zh: '新增用户', en: 'User created' },
  'user.edit': { zh: '修改用户', en: 'User changed' },
  'road.assign': { zh: '指定路段责任县区', en: 'Road segment assigned to a county' },
  'road.edit': { zh: '修改路段', en: 'Road segment edited' },
  'user.password': { zh: '修改密码', en: 'Password changed' },
  'basemap.add': { zh: '登记底图', en: 'Basemap added' },
  'basemap.remove': { zh: '移除底图', en: 'Basemap removed' },
  'basemap.default': { zh: '设置默认底图', en: 'Default basemap set' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** Target kinds (`kind:id`) in words. */
export const AUDIT_TARGETS: Record<string, { zh: string; en: string }> = {
  site: { zh: '点位', en: 'Site' },
  basemap: { zh: '底图', en: 'Basemap' },
  road: { zh: '路段', en: 'Road segment' },
  user: { zh: '用户', en: 'User' },
  task: { zh: '任务', en: 'Task' },
  core: { zh: '核心区', en: 'Urban core' },
  route: { zh: '路线', en: 'Route' },
  import: { zh: '导入批次', en: 'Import' },
  'import-mapping': { zh: '列对应', en: 'Column mapping' },
  photo: { zh: '照片', en: 'Photo' },
  move: { zh: '疑似迁移', en: 'Likely move' },
  inspection: { zh: '检查', en: 'Inspection' },
};

/** The fields whose value differs between a record's before and after (all of after for a new record). */
export function changedFields(beforeRecord: Record<string, unknown> | null, afterRecord: Record<string, unknown> | null): [string, unknown, unknown][] {
  const before = flatRecord(beforeRecord);
  const after = flatRecord(afterRecord);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])];
  return keys.filter((key) => JSON.stringify(before?.[key] ?? null) !== JSON.stringify(after?.[key] ?? null)).map((key) => [key, before?.[key], after?.[key]]);
}

/** A snapshot as one level of fields: a GeoJSON feature's properties beside its geometry. */
export function flatRecord(record: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!record || typeof record.properties !== 'object' || record.properties === null) return record;
  const { type: _type, properties, ...rest } = record;
  return { ...(properties as Record<string, unknown>), ...rest };
}
