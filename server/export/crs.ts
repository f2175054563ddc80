// The coordinate systems an export can be labelled in. Positions are stored in WGS84; CGCS2000
// (EPSG:4490, what Chinese government deliverables ask for) is realised within centimetres of
// WGS84 (ITRF-based, same ellipsoid to 0.1 mm at the poles), so at map scale the numbers are the same
// and only the label changes: the Shapefile .prj, the GeoPackage SRS and every file's notes.
export const EXPORT_CRS = ['wgs84', 'cgcs2000'] as const;
export type ExportCrs = (typeof EXPORT_CRS)[number];

export interface CrsLabel {
  epsg: number;
  /** Name in notes and file names. */
  name: string;
  /** OGC WKT 1 with authority codes (GeoPackage gpkg_spatial_ref_sys.definition). */
  wkt: string;
  /** ESRI WKT (.prj), the form ArcGIS and QGIS recognise. */
  prj: string;
  /** What the notes say of the coordinates, in Chinese / English. */
  note: string;
}

export const CRS_LABELS: Record<ExportCrs, CrsLabel> = {
  wgs84: {
    epsg: 4326,
    name: 'WGS84',
    wkt: 'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
    prj: 'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    note: '坐标系 WGS84（EPSG:4326）经纬度 / Coordinates: WGS84 (EPSG:4326) longitude, latitude',
  },
  cgcs2000: {
    epsg: 4490,
    name: 'CGCS2000',
    wkt: 'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]',
    prj: 'GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]',
    note: '坐标系 CGCS2000（2000国家大地坐标系，EPSG:4490）经纬度；在地图比例尺下其坐标与 WGS84 相同（相差厘米级），本文件的坐标数值与 WGS84 导出一致，仅坐标系标注不同 / Coordinates: CGCS2000 (EPSG:4490) longitude, latitude; at map scale they equal WGS84 (centimetres apart), so the numbers are those of the WGS84 export and only the label differs',
  },
};
