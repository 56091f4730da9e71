//! Where link captions go: on their own route, touching no box and no other caption.
//!
//! A caption is a box [`CAPTION_HEIGHT`] high and as wide as its text ([`caption_width`]),
//! centred on a point of its route or set just beside it. Captions are placed in order, each at
//! the first free spot: on the middle of its longest leg first, then steps away from it along
//! that leg, then the other legs, longest first; then the same spots beside the legs (a caption
//! leaning on a vertical leg, or above or below a short horizontal one). A spot is free when the caption overlaps no caption
//! placed before it and no box, unless it lies wholly inside that box (a container the link
//! runs through). A caption with no free spot gets none: the page shows it on hover or
//! selection instead of drawing it over something.
//!
//! [`caption_width`]: crate::model::edit::caption_width

use super::{Area, Obstacles, Route};
use crate::model::edit::Point;

/// Height of a caption's background.
pub const CAPTION_HEIGHT: f64 = 18.0;

/// Room kept between a caption and what is near it.
const GAP: f64 = 2.0;

/// The spot for each route's caption (`widths[k]` wide; `0.0` or less for a link without a
/// caption, which gets `None`), in order; `None` where no spot is free.
pub fn place_captions(
    obstacles: &Obstacles,
    routes: &[Route],
    widths: &[f64],
) -> Vec<Option<Point>> {
    let mut placed: Vec<Area> = Vec::new();
    routes
        .iter()
        .zip(widths)
        .map(|(route, &width)| {
            if width <= 0.0 {
                return None;
            }
            let spot = candidates(&route.points, width)
                .find(|&p| is_free(obstacles, &placed, caption_area(p, width)))?;
            placed.push(caption_area(spot, width));
            Some(spot)
        })
        .collect()
}

/// The caption box centred on `p`, grown by the gap kept around it.
fn caption_area(p: Point, width: f64) -> Area {
    Area {
        x0: p.x - width / 2.0 - GAP,
        y0: p.y - CAPTION_HEIGHT / 2.0 - GAP,
        x1: p.x + width / 2.0 + GAP,
        y1: p.y + CAPTION_HEIGHT / 2.0 + GAP,
    }
}

fn overlap(a: &Area, b: &Area) -> bool {
    a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1
}

fn within(inner: &Area, outer: &Area) -> bool {
    outer.x0 <= inner.x0 && inner.x1 <= outer.x1 && outer.y0 <= inner.y0 && inner.y1 <= outer.y1
}

fn is_free(obstacles: &Obstacles, placed: &[Area], c: Area) -> bool {
    let boxes_clear = obstacles.near(c).into_iter().all(|i| {
        let b = &obstacles.areas[i as usize];
        !overlap(&c, b) || within(&c, b)
    });
    boxes_clear && !placed.iter().any(|p| overlap(&c, p))
}

/// Spots along the route where the caption fits within a leg, best first.
fn candidates(points: &[Point], width: f64) -> impl Iterator<Item = Point> + '_ {
    let mut legs: Vec<(Point, Point)> = points.windows(2).map(|w| (w[0], w[1])).collect();
    let length = |(a, b): &(Point, Point)| (b.x - a.x).abs() + (b.y - a.y).abs();
    legs.sort_by(|s, t| length(t).total_cmp(&length(s)));
    legs.into_iter()
        .flat_map(move |(a, b)| spots_on_leg(a, b, width))
}

/// The middle of the leg `a`–`b`, then spots stepping out from it both ways, for as long as
/// the caption's extent along the leg stays within it.
fn spots_on_leg(a: Point, b: Point, width: f64) -> Vec<Point> {
    let horizontal = a.y == b.y;
    let extent = if horizontal { width } else { CAPTION_HEIGHT };
    let len = (b.x - a.x).abs() + (b.y - a.y).abs();
    if len < extent {
        return Vec::new();
    }
    let at = |t: f64| Point::new(a.x + (b.x - a.x) * t / len, a.y + (b.y - a.y) * t / len);
    let (mid, room) = (len / 2.0, (len - extent) / 2.0);
    let step = (CAPTION_HEIGHT).max(extent / 4.0);
    let mut spots = vec![at(mid)];
    let mut k = 1.0;
    while k * step <= room {
        spots.push(at(mid - k * step));
        spots.push(at(mid + k * step));
        k += 1.0;
    }
    spots
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::design::Rect;

    fn route_of(points: &[(f64, f64)]) -> Route {
        Route {
            points: points.iter().map(|&(x, y)| Point::new(x, y)).collect(),
            caption: Point::new(0.0, 0.0),
            clear: true,
        }
    }

    #[test]
    fn a_caption_on_a_free_line_sits_in_its_middle() {
        let obstacles = Obstacles::new(&[Rect(0, 0, 100, 60), Rect(400, 0, 100, 60)]);
        let spots = place_captions(
            &obstacles,
            &[route_of(&[(100.0, 30.0), (400.0, 30.0)])],
            &[60.0],
        );
        assert_eq!(spots, vec![Some(Point::new(250.0, 30.0))]);
    }

    #[test]
    fn a_caption_moves_along_its_route_off_a_box_and_off_another_caption() {
        // Two parallel links in a corridor; a box sits over the middle of the upper one.
        let obstacles = Obstacles::new(&[Rect(230, 0, 40, 40)]);
        let upper = route_of(&[(0.0, 30.0), (500.0, 30.0)]);
        let same = route_of(&[(0.0, 30.0), (500.0, 30.0)]);
        let spots = place_captions(&obstacles, &[upper, same], &[60.0, 60.0]);
        let (a, b) = (spots[0].unwrap(), spots[1].unwrap());
        let (ca, cb) = (caption_area(a, 60.0), caption_area(b, 60.0));
        assert!(!overlap(&ca, &Area::of(Rect(230, 0, 40, 40))), "{a:?}");
        assert!(!overlap(&ca, &cb), "{a:?} {b:?}");
        assert_eq!((a.y, b.y), (30.0, 30.0), "both stay on their route");
    }

    #[test]
    fn a_caption_inside_a_container_it_runs_through_is_fine_but_not_across_its_border() {
        let container = Rect(0, 0, 600, 200);
        let obstacles = Obstacles::new(&[container]);
        let inside = route_of(&[(50.0, 100.0), (550.0, 100.0)]);
        assert_eq!(
            place_captions(&obstacles, &[inside], &[80.0]),
            vec![Some(Point::new(300.0, 100.0))]
        );
        // A short leg across the container's side has no spot that avoids the border.
        let across = route_of(&[(560.0, 100.0), (660.0, 100.0)]);
        assert_eq!(place_captions(&obstacles, &[across], &[80.0]), vec![None]);
    }

    #[test]
    fn no_room_and_no_text_mean_no_spot() {
        let obstacles = Obstacles::new(&[]);
        let short = route_of(&[(0.0, 0.0), (30.0, 0.0)]);
        let long = route_of(&[(0.0, 0.0), (300.0, 0.0)]);
        assert_eq!(
            place_captions(&obstacles, &[short, long], &[60.0, 0.0]),
            vec![None, None]
        );
    }
}
