// Word pools of the demo generator: data only. Names are made up: township + invented shop name +
// trade suffix; people are common names; notes are the phrases a ledger uses.
import type { CategoryCode, SectorCode } from '../../../domain/categories.ts';
import type { Outcome } from './plan.ts';

export const SHOP_CHARS = [...'鑫盛宏达顺发兴旺源金恒利福祥瑞泰隆丰裕昌永宝华通成誉凯鸿德嘉润广富聚亿佳明众锦益'];
export const SURNAMES = [...'王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁宋谢韩冯'];
export const PEOPLE = [
  '张伟',
  '王芳',
  '李娜',
  '刘洋',
  '陈静',
  '杨磊',
  '赵强',
  '黄敏',
  '周杰',
  '吴刚',
  '徐丽',
  '孙浩',
  '马超',
  '朱琳',
  '胡斌',
  '郭涛',
  '何平',
  '高峰',
  '林霞',
  '罗军',
];

export const SUFFIXES: Partial<Record<CategoryCode, readonly string[]>> = {
  sand_yard: ['砂石料场', '砂石料场', '砂石经营部', '沙场'],
  wood_processing: ['木材加工厂', '木业加工厂', '板材加工厂', '木制品厂'],
  cement_prefab: ['水泥制品厂', '水泥预制构件厂', '预制板厂'],
  concrete_plant: ['商砼站', '混凝土搅拌站', '商品混凝土站'],
  carton_maker: ['纸箱厂', '纸制品包装厂', '纸箱加工点'],
  brick_kiln: ['机砖厂', '砖瓦厂', '轮窑砖厂'],
  fungus_farm: ['食用菌种植基地', '香菇种植大棚', '平菇种植场'],
};
export const TRADES: Record<SectorCode, readonly string[]> = {
  industrial: [
    '塑料颗粒加工厂',
    '废旧塑料加工点',
    '家具加工厂',
    '铸造厂',
    '石材加工厂',
    '木材加工厂',
    '砂石料场',
    '水泥制品厂',
    '金属制品加工厂',
    '喷漆加工点',
    '再生胶加工点',
    '防水材料厂',
    '耐火材料厂',
    '玻璃钢制品厂',
    '包装材料厂',
    '机械配件加工厂',
    '化纤加工点',
    '小型印刷厂',
  ],
  agricultural: ['生猪养殖场', '养鸡场', '有机肥加工厂', '粮食烘干点', '饲料加工点', '秸秆加工点', '肉牛养殖场'],
  service: ['汽车修理厂', '汽修喷漆店', '洗车点', '干洗店', '废品收购站', '餐饮店', '轮胎翻新店'],
};
export const ROAD_NAMES = ['黄河路', '长江路', '淮河路', '珠江路', '太行山路', '泰山路', '燕山路', '黄山路', '漓江路', '祁山路'];
export const CROSS_STREETS = ['交通路', '解放路', '建设路', '五一路', '文化路', '滨河路', '太白山路', '长江路', '黄河路', '泰山路'];

/** Townships assumed to grow tobacco (demo assumption, not an official list). */
export const TOBACCO_TOWNSHIPS = new Set(['侯集镇', '姜店乡', '马村乡', '九街镇', '保和乡', '文峰乡', '窝城镇', '王岗镇', '石桥乡', '陈庄乡', '三家店镇']);
export const URBAN_DISTRICTS = new Set(['411102', '411103', '411104']);

export const OUTCOME_NOTES: Record<Outcome, readonly string[]> = {
  closed: ['两断三清到位,依法取缔', '断水断电,原料设备产品清理完毕,予以取缔', '联合执法取缔,两断三清落实到位'],
  upgraded: ['完成整改提升,手续完善,治污设施到位', '场地硬化、车间密闭、围挡到位,整改提升完成'],
  relocated: ['搬迁入园,原址清理完毕', '整体搬迁至产业集聚区,原址两断三清'],
};

/** How a scattered firm was found in 2021–2022 (动态清零). */
export const LATER_FIND_NOTES = ['动态清零排查发现', '群众举报核实', '暗访发现'];
/** How a site was found after 2022. */
export const TODAY_FIND_NOTES = ['动态清零排查发现', '群众举报核实', '暗访发现', '网格员巡查发现'];
/** How a moved (or decoy) site was found. */
export const MOVE_FIND_NOTES = ['排查新发现', '群众举报核实', '暗访发现'];
/** The order a site under rectification was given. */
export const RECTIFY_NOTES = ['下达限期整改通知', '责令停产整治', '纳入整治清单,限期整改', '先停后治,限期完成整改'];
/** A 回头看 re-check of a closed site that found nothing. */
export const RECHECK_CLOSED_NOTES = ['回头看:两断三清到位,未发现复产', '回头看:现场无生产迹象', '暗访复查:设备已清除,未恢复生产'];
/** What a reported road segment looks like. */
export const ROAD_DAMAGE_NOTES = ['路面坑槽、破损,车辆通行扬尘', '路面破损,沥青剥落', '人行道及路缘石损坏,积尘明显'];
/** Breakfast shops found burning loose coal (晨查夜查). */
export const BREAKFAST_SHOPS = ['早餐店', '烧饼店', '羊肉汤馆', '胡辣汤店'];
/** Trade suffixes of coal sellers, curing barns and fuel points (after a person's name). */
export const COAL_SELLER_SUFFIXES = ['散煤销售点', '煤炭经营部', '蜂窝煤销售点'];
export const BARN_SUFFIXES = ['烟叶烤房', '烤烟房群'];
export const FUEL_SUFFIXES = ['加油点', '流动加油车', '油品经营点'];
/** Construction projects: an estate name and its phase. */
export const PROJECT_NAMES = ['华府', '花园', '名苑', '新城', '御园', '家园', '广场'];
export const PROJECT_PHASES = ['项目工地', '二期项目工地', '三期项目工地', '安置房项目工地'];
/** Where in a village a dump lies. */
export const DUMP_PLACES = ['东', '西', '南', '北', '东头坑塘', '西头沟渠'];
/** An address: a direction from the village and how far, or where in a community. */
export const DIRECTIONS = ['东', '西', '南', '北'];
export const DISTANCES = ['', '约200米', '约300米', '约500米', '路口'];
export const NEIGHBOURHOODS = ['辖区', '沿街', '附近'];
