// Reference implementations: shape operators (see reference_internal.h).
#include "reference_internal.h"

namespace tinymlc::testing {

void RegisterShapeOps(OpRegistry& r) { (void)r; }

}  // namespace tinymlc::testing
