/** What GET /statistics of the default flow answers for one camera (what the store page shows). */
export interface StatisticsAnswer {
  camera: string | null;
  updatedAt: number;
  since: number;
  peopleInView: number;
  uniquePeople: number;
  totalActivitySeconds: number;
  totalActivity: string;
  floorShareVisited: number;
  cameraGapSeconds: number;
  cameraStatus: string;
  lastSavedAt: number | null;
}

/** What GET /statistics answers for several cameras: each camera, and the store's totals. */
export interface StoreStatisticsAnswer {
  cameras: Record<string, StatisticsAnswer>;
  store: {
    cameras: number;
    peopleInView: number;
    uniquePeople: number;
    totalActivitySeconds: number;
    cameraGapSeconds: number;
  };
  lastSavedAt: number | null;
}
