// The planned 2019–2022 campaign, one function per group of sites, following the 2020 plan's figures.
import type { SectorCode } from '../../../domain/categories.ts';
import { toDay } from '../../../domain/days.ts';
import { CITY_SEAT } from './constants.ts';
import { LIFE } from './lives.ts';
import type { Located, Outcome } from './plan.ts';
import { LATER_FIND_NOTES, TOBACCO_TOWNSHIPS } from './words.ts';
import type { DemoWorld } from './world.ts';

export function firms2020(w: DemoWorld): void {
  const P = w.P;
  const lateOutcomes: Outcome[] = [...Array<Outcome>(10).fill('closed'), ...Array<Outcome>(4).fill('upgraded'), 'relocated', 'relocated'];
  for (let i = 0; i < 119; i++) {
    const disc = w.dayIn('2020-01-06', '2020-07-10');
    const plan = w.addPlan({
      group: 'firm2020',
      category: 'scattered_firm',
      sector: w.sector2020(),
      at: w.firmPosition(),
      discovered: disc,
      discoveredBy: w.rng.chance(0.3) ? '市生态环境局' : undefined,
      note: '2020年“散乱污”企业专项排查发现',
    });
    if (i < 103) {
      const close = Math.max(disc, Math.min(disc + w.rng.int(5, 90), P - w.rng.int(0, 6)));
      if (close - disc >= 2 && w.rng.chance(0.6)) w.rectify(plan, disc + w.rng.int(1, close - disc - 1));
      w.resolve(plan, 'closed', close);
      w.verify(plan, 0.88);
    } else {
      w.rectify(plan, Math.min(disc + w.rng.int(1, 30), P));
      const outcome = lateOutcomes[i - 103]!;
      const day = outcome === 'relocated' ? P + w.rng.int(60, 330) : P + w.rng.int(8, 130);
      if (w.resolve(plan, outcome, day)) w.verify(plan, 0.85);
    }
  }
}

/** Task 14: 89 found by the provincial inspectors on 2019-12-12..27 (68 industrial, 8 agricultural, 13 service). */
export function firms2019(w: DemoWorld): void {
  const sectors = w.rng.shuffle<SectorCode>([
    ...Array<SectorCode>(68).fill('industrial'),
    ...Array<SectorCode>(8).fill('agricultural'),
    ...Array<SectorCode>(13).fill('service'),
  ]);
  for (const sector of sectors) {
    const disc = w.dayIn('2019-12-12', '2019-12-27');
    const plan = w.addPlan({
      group: 'firm2019',
      category: 'scattered_firm',
      sector,
      at: w.firmPosition(),
      discovered: disc,
      discoveredBy: '省委第六“三散”污染治理专项督察组',
      note: '省委“三散”污染治理专项督察组进驻期间新发现',
    });
    plan.planDeadline = '2020-08-31';
    const outcome = w.weighted<Outcome>([
      ['closed', 0.55],
      ['upgraded', 0.3],
      ['relocated', 0.15],
    ]);
    const late = w.rng.chance(0.12);
    if (late || w.rng.chance(0.7)) w.rectify(plan, w.dayIn('2020-01-02', '2020-04-20'));
    const day = late ? w.dayIn('2020-09-01', '2021-06-30') : Math.max(plan.track.last + 10, w.dayIn('2020-02-15', '2020-08-21'));
    if (w.resolve(plan, outcome, day)) w.verify(plan, 0.85);
  }
}

/** 动态清零: a trickle of new scattered firms in 2021–2022. */
export function firmsLater(w: DemoWorld): void {
  for (let i = 0; i < 16; i++) {
    const plan = w.addPlan({
      group: 'firmLater',
      category: 'scattered_firm',
      sector: w.sector2020(),
      at: w.firmPosition(),
      discovered: w.dayIn('2021-01-05', '2022-12-10'),
      note: w.rng.pick(LATER_FIND_NOTES),
    });
    w.life(plan, LIFE.scattered_firm!);
  }
}

/** Task 18: 45 loose-coal sales points closed before mid-2020; tasks 16: breakfast shops found by 晨查夜查. */
export function coal(w: DemoWorld): void {
  const lastClose = toDay('2020-06-28');
  for (let i = 0; i < 45; i++) {
    const disc = w.dayIn('2019-09-16', '2020-04-13');
    const at = w.rng.chance(0.5) ? w.ring(CITY_SEAT, 3, 25) : w.inCounty(w.rng.pick([...w.counties.keys()]));
    const plan = w.addPlan({
      group: 'coal45',
      category: 'coal_point',
      at,
      discovered: disc,
      discoveredBy: w.rng.chance(0.5) ? '市散烧办' : undefined,
      note: '散煤销售网点排查发现',
    });
    w.resolve(plan, 'closed', Math.min(disc + w.rng.int(0, 30), lastClose));
    w.verify(plan, 0.55);
  }
  const winters: [string, string, number][] = [
    ['2020-11-15', '2021-02-28', 12],
    ['2021-11-15', '2022-02-28', 10],
    ['2022-11-15', '2022-12-25', 4],
  ];
  for (const [from, to, count] of winters)
    for (let i = 0; i < count; i++) {
      const at = w.rng.chance(0.6) ? w.ring(CITY_SEAT, 1.5, 8) : w.aroundCountySeat(0.5, 4);
      const plan = w.addPlan({
        group: 'coalUse',
        category: 'coal_point',
        at,
        discovered: w.dayIn(from, to),
        note: '晨查夜查发现早餐店违规使用散煤',
      });
      w.nameBreakfastShop(plan);
      w.life(plan, {
        outcomes: [
          ['upgraded', 0.6],
          ['closed', 0.4],
        ],
        rectifyChance: 0.3,
        rectifyAfter: [0, 3],
        resolveAfter: [1, 20],
        verifyChance: 0.4,
      });
    }
}

/** Tasks 2/14/25: sand yards, concrete plants, cement prefab, cartons and brick kilns around the core. */
export function industry(w: DemoWorld): void {
  for (let i = 0; i < 42; i++) {
    const r = w.rng.next();
    const at = r < 0.75 ? w.ring(CITY_SEAT, 2, 10) : r < 0.9 ? w.aroundCountySeat(1.5, 6) : w.inCounty(w.rng.pick([...w.counties.keys()]), 5);
    const y = w.rng.next();
    const disc = y < 0.8 ? w.dayIn('2020-03-01', '2020-10-31') : y < 0.95 ? w.dayIn('2021-01-04', '2021-12-20') : w.dayIn('2022-01-04', '2022-11-30');
    w.life(w.addPlan({ group: 'industry', category: 'sand_yard', at, discovered: disc, note: '砂石料场综合整治排查发现' }), LIFE.sand_yard!);
  }
  // Concrete plants: a few inside 6 km of the seat, three of them still not relocated at the end.
  const openDeadlines = ['2022-06-30', '2022-09-30', '2023-06-30'];
  for (let i = 0; i < 14; i++) {
    const at = i < 5 ? w.ring(CITY_SEAT, 1.5, 6) : i < 12 ? w.ring(CITY_SEAT, 6, 12) : w.aroundCountySeat(1.5, 5);
    const plan = w.addPlan({
      group: 'industry',
      category: 'concrete_plant',
      at,
      discovered: w.dayIn('2020-06-01', '2020-12-18'),
      note: '“工业围城”商混站摸排',
    });
    if (i < openDeadlines.length) {
      if (plan.track.go('rectifying', plan.track.discovered + w.rng.int(5, 40), w.epb(plan), '列入搬迁计划,限期搬迁入园'))
        plan.openDeadline = openDeadlines[i]!;
    } else w.life(plan, LIFE.concrete_plant!);
  }
  for (let i = 0; i < 18; i++) {
    const at = w.rng.chance(0.8) ? w.ring(CITY_SEAT, 2, 10) : w.aroundCountySeat(1.5, 6);
    w.life(
      w.addPlan({ group: 'industry', category: 'cement_prefab', at, discovered: w.dayIn('2020-03-01', '2021-06-30'), note: '水泥预制行业排查发现' }),
      LIFE.cement_prefab!,
    );
  }
  for (let i = 0; i < 10; i++)
    w.life(
      w.addPlan({
        group: 'industry',
        category: 'carton_maker',
        at: w.ring(CITY_SEAT, 2, 8),
        discovered: w.dayIn('2020-04-01', '2021-12-15'),
        note: '纸箱制作作坊排查发现',
      }),
      LIFE.carton_maker!,
    );
  for (let i = 0; i < 8; i++) {
    const at = i < 4 ? w.inCounty('411104', 5) : w.inCounty('411122', 0, 3);
    w.life(
      w.addPlan({
        group: 'industry',
        category: 'brick_kiln',
        at,
        discovered: w.dayIn('2020-03-01', '2020-09-30'),
        note: '砖瓦窑产业集群整治排查',
        township: (t) => t.kind !== '街道',
      }),
      LIFE.brick_kiln!,
    );
  }
}

/** Tasks 12/14: wood processing in tight clusters (召陵区, 临颍县, 郾城区), each found in one sweep. */
export function wood(w: DemoWorld): void {
  const clusters: { center: Located; sd: number; count: number; sweep: number }[] = [
    { center: w.ring(CITY_SEAT, 6, 10, '411104'), sd: 0.45, count: 16, sweep: w.dayIn('2020-04-08', '2020-04-20') },
    { center: w.ring(w.countySeat('411122'), 4, 9, '411122'), sd: 0.4, count: 14, sweep: w.dayIn('2020-05-11', '2020-05-20') },
    { center: w.ring(CITY_SEAT, 4, 8, '411103'), sd: 0.3, count: 8, sweep: w.dayIn('2020-09-07', '2020-09-14') },
  ];
  for (const c of clusters)
    for (let i = 0; i < c.count; i++) {
      const at = w.near([c.center.lon, c.center.lat], c.sd, c.center.county);
      w.life(
        w.addPlan({ group: 'wood', category: 'wood_processing', at, discovered: c.sweep + w.rng.int(0, 14), note: '木业产业集群综合整治排查' }),
        LIFE.wood_processing!,
      );
    }
  for (let i = 0; i < 6; i++)
    w.life(
      w.addPlan({
        group: 'wood',
        category: 'wood_processing',
        at: w.ring(CITY_SEAT, 2, 12),
        discovered: w.dayIn('2020-03-01', '2021-09-30'),
        note: '木材加工企业排查发现',
      }),
      LIFE.wood_processing!,
    );
}

/** Tasks 8/15: black fuel points and mobile tankers. */
export function fuel(w: DemoWorld): void {
  for (let i = 0; i < 14; i++) {
    const r = w.rng.next();
    const at = r < 0.5 ? w.ring(CITY_SEAT, 2, 15) : r < 0.75 ? w.aroundCountySeat(1, 6) : w.inCounty(w.rng.pick([...w.counties.keys()]));
    const plan = w.addPlan({
      group: 'fuel',
      category: 'fuel_point',
      at,
      discovered: w.dayIn('2019-12-15', '2022-10-10'),
      discoveredBy: w.rng.chance(0.4) ? '市商务局' : undefined,
      note: '打击黑加油站点联合检查发现',
    });
    w.life(plan, LIFE.fuel_point!);
  }
}

/** Task 17: coal-fired tobacco curing barns (电代煤 2020–2022) and coal-fired fungus farms. */
export function agriculture(w: DemoWorld): void {
  for (let i = 0; i < 30; i++) {
    const urban = i < 5;
    const code = urban ? w.rng.pick(['411102', '411103', '411104']) : i < 19 ? '411121' : '411122';
    const at = urban ? w.inCounty(code, 8) : w.inCounty(code, 0, 5);
    const plan = w.addPlan({
      group: 'barn',
      category: 'curing_barn',
      at,
      discovered: w.dayIn('2020-04-01', '2020-06-15'),
      note: '烟叶烤房燃煤情况摸底',
      township: urban ? (t) => t.kind !== '街道' : (t) => TOBACCO_TOWNSHIPS.has(t.name),
    });
    w.rectify(plan, w.dayIn('2020-06-16', '2020-09-20'));
    if (!urban && (i === 19 || i === 29)) {
      plan.openDeadline = '2022-10-31';
      continue;
    }
    const day = urban ? w.dayIn('2020-09-21', '2020-12-20') : w.rng.chance(0.82) ? w.dayIn('2021-03-01', '2021-12-15') : w.dayIn('2022-03-01', '2022-11-30');
    if (w.resolve(plan, 'upgraded', day)) w.verify(plan, 0.65);
  }
  for (let i = 0; i < 5; i++) {
    const at = w.inCounty(w.rng.pick([...w.counties.keys()]), 6);
    w.life(
      w.addPlan({
        group: 'fungus',
        category: 'fungus_farm',
        at,
        discovered: w.dayIn('2020-05-01', '2021-03-31'),
        note: '食用菌生产用煤排查',
        township: (t) => t.kind !== '街道',
      }),
      LIFE.fungus_farm!,
    );
  }
}

/** Tasks 19/21: construction sites in the city, open-air dumps at the fringe. */
export function dust(w: DemoWorld): void {
  for (let i = 0; i < 16; i++)
    w.life(
      w.addPlan({
        group: 'construction',
        category: 'construction_site',
        at: w.ring(CITY_SEAT, 0.8, 7),
        discovered: w.dayIn('2020-03-01', '2022-11-16'),
        note: '扬尘污染专项检查发现',
      }),
      LIFE.construction_site!,
    );
  for (let i = 0; i < 10; i++) {
    const at = w.rng.chance(0.6) ? w.ring(CITY_SEAT, 3, 15) : w.inCounty(w.rng.pick([...w.counties.keys()]), 5);
    w.life(
      w.addPlan({ group: 'dump', category: 'dump_site', at, discovered: w.dayIn('2020-04-01', '2022-10-31'), note: '农村垃圾露天堆放排查发现' }),
      LIFE.dump_site!,
    );
  }
}
