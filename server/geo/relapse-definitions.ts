// One sentence per relapse-hotspot figure, Chinese then English, with the options actually used.
import { MOVE_CANDIDATES_PER_SITE, MOVE_SCORE_WEIGHTS } from './relapse-moves.ts';
import { DEFAULT_CELL_KM } from './relapse-options.ts';
import type { RelapseDefinition, RelapseDefinitionKey, ResolvedRelapseOptions } from './relapse-types.ts';

/** Why the default cell is as wide as it is (see DEFAULT_CELL_KM). */
const CELL_WHY = {
  zh: `默认格宽 ${DEFAULT_CELL_KM} 公里：全市数百次复燃分布在约 2600 平方公里内，1 公里的格子平均不到 0.1 次，一次复燃就会让所在格子连同周围的空格子显示为 99% 热点；${DEFAULT_CELL_KM} 公里的格子平均约 1 次，邻域（7 格，约 55 平方公里，约一个乡镇）有数次，热点才是复燃真正聚集之处。`,
  en: ` The default width is ${DEFAULT_CELL_KM} km: the city's few hundred relapses over about 2,600 km² put under 0.1 in a 1 km cell, so a single relapse makes its cell and the empty ring round it hot at 99%; a ${DEFAULT_CELL_KM} km cell holds about one, its neighbourhood (7 cells, about 55 km², roughly a township) several, so hot cells are where relapses gather.`,
};

export function describeRelapse(options: ResolvedRelapseOptions, extent: 'counties' | 'bbox' = 'bbox'): Record<RelapseDefinitionKey, RelapseDefinition> {
  const { from, to, asOf, radiusKm, withinDays, cellKm, correction } = options;
  const reach = Math.round(1.01 * cellKm * 1000) / 1000;
  const { distance, time, name } = MOVE_SCORE_WEIGHTS;
  const windowZh = `${from ?? '最早'}至${to ?? '最新'}`;
  const windowEn = `${from ?? 'the earliest day'} to ${to ?? 'the latest day'}`;
  return {
    window: {
      zh: `只看${asOf ? ` ${asOf} 及以前` : '全部'}的状态记录和已发现的点位；时间窗 ${windowZh}（含两端）按复燃日期、新点位的发现日期和取缔日期选取计入的复燃、疑似转移和取缔。`,
      en: `Only status events and sites discovered ${asOf ? `on or before ${asOf}` : 'at any time'} are seen; the window ${windowEn} (both ends included) selects the relapses, likely moves and closures counted by the relapse day, the new site's discovery day and the closure day.`,
    },
    relapses: {
      zh: '复燃是时间窗内每一次转为“死灰复燃”的状态变更，同一点位复燃两次计两次，无坐标的也列出但不计入网格。',
      en: 'A relapse is each move to relapsed within the window (a site relapsing twice counts twice); relapses without coordinates are listed but fall in no cell.',
    },
    closedOn: {
      zh: '取缔日期是该次复燃之前最后一次转为已取缔、已整改提升或已搬迁入园的日期（只有已验收销号记录时取其日期），距取缔天数为复燃日期减去该日期。',
      en: 'Closed on is the day of the last move to closed, upgraded or relocated before the relapse (the last verified day when only that is recorded), and days since closure is the relapse day minus that day.',
    },
    moves: {
      zh: `疑似转移是同类别的两个有坐标点位：旧点位转为已取缔（不含整改提升和搬迁入园）后 1–${withinDays} 天内、球面距离 ${radiusKm} 公里以内发现的新点位，旧点位有多次取缔时取发现日前最近的一次。每处新点位只保留评分最高的 ${MOVE_CANDIDATES_PER_SITE} 个旧点位（同分取编号小者）；一处新点位只要其中有一个未被排除，就计为疑似转移。`,
      en: `A likely move pairs two located sites of the same category: a new site discovered 1–${withinDays} days after the old one was closed (not upgraded or relocated) and within ${radiusKm} km geodesic distance of it, using the old site's latest closure before the discovery. Each new site keeps only its ${MOVE_CANDIDATES_PER_SITE} best old sites by score (ties: lower id first); a new site counts as a move when one of them is not dismissed.`,
    },
    nameSimilarity: {
      zh: '名称相似度是去掉括号内容、开头的省县区乡镇村等地名和结尾的有限公司、厂、场、站、点、砂石等通用词后，两名称字符二元组多重集的 Dice 系数（0–1，任一名称去后为空则为 0）。',
      en: 'Name similarity is the Dice coefficient of the character-bigram multisets of the two names after dropping bracketed parts, leading place names (province, county, district, township, village) and trailing generic words such as 有限公司, 厂, 场, 站, 点 or 砂石 (0–1; 0 when either name is left empty).',
    },
    score: {
      zh: `转移评分 = ${distance}×(1 − 距离/${radiusKm}) + ${time}×(1 − 天数/${withinDays}) + ${name}×名称相似度，取值 0–1，列表按评分从高到低排序。`,
      en: `Move score = ${distance}·(1 − distance/${radiusKm}) + ${time}·(1 − days/${withinDays}) + ${name}·name similarity, from 0 to 1; the list is sorted by score, highest first.`,
    },
    decision: {
      zh: '官员确认或排除的结论随候选一并列出；被排除的候选仍列出，但不计入热点网格。',
      en: "An official's confirmation or dismissal is shown with the candidate; dismissed candidates stay listed but are not counted in the hotspot cells.",
    },
    grid:
      extent === 'counties'
        ? {
            zh: `热点网格是平顶正六边形网格，格宽（对边距离，即相邻格中心距离）${cellKm} 公里，只含中心落在${options.counties ? '所选区县' : '漯河市各区县'}辖区内的格子（以及有计入点位的边缘格子），在以研究区外包矩形中心为原点的局部等距圆柱投影中构建。${CELL_WHY.zh}`,
            en: `The hotspot grid is a flat-topped hexagon grid, ${cellKm} km flat-to-flat (the distance between neighbouring centres), holding only the cells whose centre lies inside ${options.counties ? 'the chosen counties' : "Luohe's counties"} (and edge cells that hold a counted site), built in a local equirectangular frame centred on the study area's bbox.${CELL_WHY.en}`,
          }
        : {
            zh: `热点网格是覆盖计入点位外包矩形的平顶正六边形网格，格宽（对边距离，即相邻格中心距离）${cellKm} 公里，在以外包矩形中心为原点的局部等距圆柱投影中构建。${CELL_WHY.zh}`,
            en: `The hotspot grid is a flat-topped hexagon grid over the bbox of the counted located sites, ${cellKm} km flat-to-flat (the distance between neighbouring centres), built in a local equirectangular frame centred on the bbox.${CELL_WHY.en}`,
          },
    count: {
      zh: '格子计数是落在格内的复燃次数加上格内未被排除的疑似转移新点位数（一个新点位有多个候选旧点位时只计一次）。',
      en: 'A cell’s count is the relapses located in it plus the new sites in it with at least one move candidate that was not dismissed (a new site with several candidate old sites counts once).',
    },
    giStar: {
      zh: 'Gi* 是 Getis-Ord 局部统计量（二元邻接权重；网格内全部格子，含零计数格，参与均值和标准差），其值即 z 分数。',
      en: 'Gi* is the Getis-Ord local statistic with binary weights (every cell of the grid, zeros too, enters the mean and standard deviation), and its value is the z-score.',
    },
    neighbourhood: {
      zh: `邻域：每个格子连同与其共边的格子（中心距不超过 ${reach} 公里，即 1.01 倍格宽），内部格子为 7 格，边缘格子更少。`,
      en: `Neighbourhood: each cell with the cells sharing an edge with it (centres within ${reach} km, 1.01 cell widths): 7 cells inside the grid, fewer at its edge.`,
    },
    confidence:
      correction === 'fdr'
        ? {
            zh: '每个格子都做一次检验，故按 Benjamini–Hochberg 错误发现率（FDR）校正（与 ArcGIS 热点分析相同，默认开启）：双侧 p 值从小到大排列，取满足 p₍ₖ₎ ≤ α·k/m 的最大 k，p 不超过 p₍ₖ₎ 的格子在该水平显著；α = 0.01、0.05、0.10 分别对应 99%、95%、90% 置信度，z > 0 为热点、z < 0 为冷点，未达 90% 的格子不标注；所有计数相同时 z 全为 0。',
            en: 'Every cell is a test, so the p-values are corrected with the Benjamini–Hochberg false discovery rate (as ArcGIS Hot Spot Analysis does; on by default): sort the two-sided p-values, take the largest k with p₍ₖ₎ ≤ α·k/m, and cells with p ≤ p₍ₖ₎ are significant at that level; α = 0.01, 0.05 and 0.10 give 99%, 95% and 90% confidence, a hot spot when z > 0 and a cold spot when z < 0; cells below 90% are not marked, and z is 0 everywhere when all counts are equal.',
          }
        : {
            zh: '未作多重检验校正：|z| ≥ 2.576、1.960、1.645 时置信度分别为 99%、95%、90%，z > 0 为热点、z < 0 为冷点，未达 90% 的格子不标注；所有计数相同时 z 全为 0。',
            en: 'No correction for multiple testing: |z| ≥ 2.576, 1.960 or 1.645 gives 99%, 95% or 90% confidence, a hot spot when z > 0 and a cold spot when z < 0; cells below 90% are not marked, and z is 0 everywhere when all counts are equal.',
          },
    rates: {
      zh: '复燃率 = 时间窗内复燃次数 ÷ 时间窗内至少有一次取缔（已取缔、已整改提升或已搬迁入园）的点位数，按区县和乡镇分别统计（含无坐标点位），取缔数为 0 时为空，两个计数一并列出。',
      en: 'Relapse rate = relapses in the window ÷ sites with at least one closure (closed, upgraded or relocated) in the window, per county and per township (unlocated sites included), null when there are no closures, with both counts shown.',
    },
  };
}
