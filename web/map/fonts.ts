// Fonts of every map label: our glyph PBFs for Latin letters and digits (geodata/glyphs), the
// browser's own CJK fonts for Chinese (MapLibre's localIdeographFontFamily).
export const FONT_STACK = ['Noto Sans Regular'];
export const LOCAL_IDEOGRAPH_FONTS = "'Noto Sans CJK SC', 'Noto Sans SC', 'Microsoft YaHei', 'PingFang SC', 'Source Han Sans SC', sans-serif";
